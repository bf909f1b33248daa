import { mount } from 'svelte'
import App from './App.svelte'
import './styles/app.css'
import './styles/naskah.css'
import './styles/layout.css'

mount(App, { target: document.getElementById('app')! })
